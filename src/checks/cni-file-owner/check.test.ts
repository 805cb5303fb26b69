import { testNodeControl } from '../node-controls/tester.js';
import { cniFileOwner } from './check.js';

testNodeControl(cniFileOwner, import.meta.dirname);
