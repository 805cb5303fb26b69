import { testCheck } from '../support/tester.js';
import { reliabilitySelectorMismatch } from './check.js';

testCheck(reliabilitySelectorMismatch, import.meta.dirname);
