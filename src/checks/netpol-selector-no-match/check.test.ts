import { testCheck } from '../support/tester.js';
import { netpolSelectorNoMatch } from './check.js';

testCheck(netpolSelectorNoMatch, import.meta.dirname);
