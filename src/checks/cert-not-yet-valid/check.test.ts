import { testCheck } from '../framework/tester.js';
import { certNotYetValid } from './check.js';

testCheck(certNotYetValid, import.meta.dirname);
