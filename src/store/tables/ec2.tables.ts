/**
 * Tables of the EC2 VPC subset. EC2 is regional, so every row is keyed by (region, id): a VPC
 * made in ap-northeast-1 is invisible from us-east-1. Each resource is one JSON document (`doc`)
 * of its kind; `vpc_id` is kept beside it because dependency checks ask "what is in this VPC".
 */

/** One EC2 resource (vpc, subnet, igw, sg, rtb, acl) of one region. */
export interface Ec2ResourceRow {
  region: string;
  id: string;
  /** `vpc` | `subnet` | `igw` | `sg` | `rtb` | `acl`. */
  kind: string;
  /** The VPC it belongs to (null for a VPC itself and a detached internet gateway). */
  vpc_id: string | null;
  /** The domain object as JSON text (tags included). */
  doc: string;
  created_at: number;
}

export interface Ec2Tables {
  ec2_resources: Ec2ResourceRow;
}
