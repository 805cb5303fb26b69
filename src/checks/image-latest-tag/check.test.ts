import { testCheck } from '../framework/tester.js';
import { imageLatestTag } from './check.js';

testCheck(imageLatestTag, import.meta.dirname);
