import { testCheck } from '../framework/tester.js';
import { netpolPeerAnyAddress } from './check.js';

testCheck(netpolPeerAnyAddress, import.meta.dirname);
