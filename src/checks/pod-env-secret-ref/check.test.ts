import { testCheck } from '../support/tester.js';
import { podEnvSecretRef } from './check.js';

testCheck(podEnvSecretRef, import.meta.dirname);
