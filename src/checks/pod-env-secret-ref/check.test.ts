import { testCheck } from '../framework/tester.js';
import { podEnvSecretRef } from './check.js';

testCheck(podEnvSecretRef, import.meta.dirname);
