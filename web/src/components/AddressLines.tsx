/**
 * A delivery address as people write it: Chinese ones from the largest part down (浙江省 杭州市
 * 西湖区, then the street, then the recipient and the number); others in the Western order.
 */
import type { Address } from "../api/types.ts";

export function AddressLines({ address }: { address: Partial<Address> | null | undefined }) {
  if (!address) return null;
  const chinese = (address.country ?? "CN").toUpperCase() === "CN" && !!address.province;
  const join = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(" ");
  const lines = chinese
    ? [
        join([
          address.province,
          address.city === address.province ? "" : address.city,
          address.district,
        ]),
        address.line1,
        join([address.name, address.phone]),
        address.postalCode,
      ]
    : [
        address.name,
        address.line1,
        join([address.city, address.postalCode, address.country]),
        address.phone,
      ];
  return (
    <address className="address" data-testid="order-address">
      {lines.filter(Boolean).map((line, i) => (
        <span key={i} className="address-line">
          {line}
        </span>
      ))}
    </address>
  );
}
