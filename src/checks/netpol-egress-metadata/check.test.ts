import { testCheck } from '../framework/tester.js';
import { netpolEgressMetadata } from './check.js';

testCheck(netpolEgressMetadata, import.meta.dirname);
