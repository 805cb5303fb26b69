import { testCheck } from '../support/tester.js';
import { exposedApiserverAnonymousAuth } from './check.js';

testCheck(exposedApiserverAnonymousAuth, import.meta.dirname);
