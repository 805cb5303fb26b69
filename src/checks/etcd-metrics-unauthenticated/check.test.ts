import { testCheck } from '../framework/tester.js';
import { etcdMetricsUnauthenticated } from './check.js';

testCheck(etcdMetricsUnauthenticated, import.meta.dirname);
