import { testCheck } from '../support/tester.js';
import { podDefaultServiceAccount } from './check.js';

testCheck(podDefaultServiceAccount, import.meta.dirname);
