import { testNodeControl } from '../node-controls/tester.js';
import { proxyMetricsBindAddress } from './check.js';

testNodeControl(proxyMetricsBindAddress, import.meta.dirname);
