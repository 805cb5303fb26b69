import { testCheck } from '../support/tester.js';
import { imageVulnerabilities } from './check.js';

testCheck(imageVulnerabilities, import.meta.dirname);
