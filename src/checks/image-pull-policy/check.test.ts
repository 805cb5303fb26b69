import { testCheck } from '../framework/tester.js';
import { imagePullPolicy } from './check.js';

testCheck(imagePullPolicy, import.meta.dirname);
