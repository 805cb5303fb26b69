import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAlwaysPullImages } from './check.js';

testNodeControl(apiserverAlwaysPullImages, import.meta.dirname);
