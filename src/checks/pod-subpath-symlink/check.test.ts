import { testCheck } from '../support/tester.js';
import { podSubpathSymlink } from './check.js';

testCheck(podSubpathSymlink, import.meta.dirname);
