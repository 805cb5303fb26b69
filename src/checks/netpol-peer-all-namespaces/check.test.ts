import { testCheck } from '../framework/tester.js';
import { netpolPeerAllNamespaces } from './check.js';

testCheck(netpolPeerAllNamespaces, import.meta.dirname);
