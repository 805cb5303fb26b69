import { testCheck } from '../framework/tester.js';
import { workloadDefaultNamespace } from './check.js';

testCheck(workloadDefaultNamespace, import.meta.dirname);
