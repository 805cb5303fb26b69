import { testCheck } from '../framework/tester.js';
import { imageNoDigest } from './check.js';

testCheck(imageNoDigest, import.meta.dirname);
