/**
 * Where the agents' subnets go. A VPC asked for N zones takes the region's first N, but an instance type is not
 * offered in every zone (c7g is missing from some), and a region may have fewer zones than asked: launching
 * there fails. So the zones are those where EC2 offers the instance type (aws.ec2.getInstanceTypeOfferings by
 * availability zone), among the region's available zones that need no opt-in, in name order, at most `max`.
 */
export function agentZones(args: {
  instanceType: string;
  /** Zones where EC2 offers the instance type. */
  offered: readonly string[];
  /** The region's available zones (no opt-in: no Local or Wavelength Zones). */
  available: readonly string[];
  max: number;
}): string[] {
  const zones = args.available
    .filter((zone) => args.offered.includes(zone))
    .sort()
    .slice(0, args.max);
  if (zones.length === 0)
    throw new Error(
      `flash-sale:loadGenerators.instanceType = "${args.instanceType}" is not offered in any availability zone of this region ` +
        `(zones: ${args.available.join(", ") || "none"}): choose a type EC2 offers here (aws ec2 describe-instance-type-offerings ` +
        `--location-type availability-zone --filters Name=instance-type,Values=${args.instanceType}) or set loadGenerators.count to 0`,
    );
  return zones;
}
