import { testCheck } from '../support/tester.js';
import { podHostIpc } from './check.js';

testCheck(podHostIpc, import.meta.dirname);
