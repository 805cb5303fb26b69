import { testCheck } from '../support/tester.js';
import { podContainerPortSensitive } from './check.js';

testCheck(podContainerPortSensitive, import.meta.dirname);
