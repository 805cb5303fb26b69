import { testNodeControl } from '../node-controls/tester.js';
import { kubeletIptablesUtilChains } from './check.js';

testNodeControl(kubeletIptablesUtilChains, import.meta.dirname);
