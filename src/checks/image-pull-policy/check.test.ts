import { testCheck } from '../support/tester.js';
import { imagePullPolicy } from './check.js';

testCheck(imagePullPolicy, import.meta.dirname);
