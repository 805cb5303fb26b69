import { testCheck } from '../support/tester.js';
import { imageTooOld } from './check.js';

testCheck(imageTooOld, import.meta.dirname);
