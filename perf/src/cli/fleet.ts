export async function fleetCommand(_argv: string[]): Promise<number> { throw new Error("fleet: being written"); }
