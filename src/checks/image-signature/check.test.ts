import { testCheck } from '../support/tester.js';
import { imageSignature } from './check.js';

testCheck(imageSignature, import.meta.dirname);
