import { testNodeControl } from '../node-controls/tester.js';
import { pkiOwner } from './check.js';

testNodeControl(pkiOwner, import.meta.dirname);
