import { testCheck } from '../support/tester.js';
import { imageNotMinimal } from './check.js';

testCheck(imageNotMinimal, import.meta.dirname);
