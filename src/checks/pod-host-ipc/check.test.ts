import { testCheck } from '../framework/tester.js';
import { podHostIpc } from './check.js';

testCheck(podHostIpc, import.meta.dirname);
