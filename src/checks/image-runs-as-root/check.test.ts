import { testCheck } from '../support/tester.js';
import { imageRunsAsRoot } from './check.js';

testCheck(imageRunsAsRoot, import.meta.dirname);
