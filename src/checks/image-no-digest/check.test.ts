import { testCheck } from '../support/tester.js';
import { imageNoDigest } from './check.js';

testCheck(imageNoDigest, import.meta.dirname);
