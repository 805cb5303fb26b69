import { testCheck } from '../framework/tester.js';
import { podDefaultServiceAccount } from './check.js';

testCheck(podDefaultServiceAccount, import.meta.dirname);
