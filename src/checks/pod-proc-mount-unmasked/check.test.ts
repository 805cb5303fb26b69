import { testCheck } from '../framework/tester.js';
import { podProcMountUnmasked } from './check.js';

testCheck(podProcMountUnmasked, import.meta.dirname);
