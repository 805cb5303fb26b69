import { testCheck } from '../support/tester.js';
import { imageLatestTag } from './check.js';

testCheck(imageLatestTag, import.meta.dirname);
