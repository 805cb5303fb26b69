import { testCheck } from '../support/tester.js';
import { ingressNginxSnippets } from './check.js';

testCheck(ingressNginxSnippets, import.meta.dirname);
