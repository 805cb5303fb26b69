import { testCheck } from '../support/tester.js';
import { imageSigned } from './check.js';

testCheck(imageSigned, import.meta.dirname);
