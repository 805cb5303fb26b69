import { testNodeControl } from '../node-controls/tester.js';
import { kubeletSeccompDefault } from './check.js';

testNodeControl(kubeletSeccompDefault, import.meta.dirname);
