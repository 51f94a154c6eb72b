import { stopTestEngine } from "./engine-setup";

export default stopTestEngine;
