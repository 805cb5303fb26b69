import { testNodeControl } from '../node-controls/tester.js';
import { kubeletTlsCert } from './check.js';

testNodeControl(kubeletTlsCert, import.meta.dirname);
