import { testCheck } from '../support/tester.js';
import { netpolPeerAllNamespaces } from './check.js';

testCheck(netpolPeerAllNamespaces, import.meta.dirname);
