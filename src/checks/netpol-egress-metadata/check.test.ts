import { testCheck } from '../support/tester.js';
import { netpolEgressMetadata } from './check.js';

testCheck(netpolEgressMetadata, import.meta.dirname);
