import { testCheck } from '../support/tester.js';
import { annotationCredential } from './check.js';

testCheck(annotationCredential, import.meta.dirname);
