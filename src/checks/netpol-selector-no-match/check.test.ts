import { testCheck } from '../framework/tester.js';
import { netpolSelectorNoMatch } from './check.js';

testCheck(netpolSelectorNoMatch, import.meta.dirname);
