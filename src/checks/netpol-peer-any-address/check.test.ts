import { testCheck } from '../support/tester.js';
import { netpolPeerAnyAddress } from './check.js';

testCheck(netpolPeerAnyAddress, import.meta.dirname);
