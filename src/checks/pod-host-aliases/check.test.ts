import { testCheck } from '../support/tester.js';
import { podHostAliases } from './check.js';

testCheck(podHostAliases, import.meta.dirname);
