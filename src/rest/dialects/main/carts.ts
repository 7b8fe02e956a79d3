import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Carts";

export const cartFragments: Record<string, string> = {
  CartFields: /* GraphQL */ `
    fragment CartFields on Cart {
      id currency customerId email status promotionCodes createdAt updatedAt
      items { id entityId variantId sku title quantity unitPrice subtotal discount total }
      totals { subtotal discount tax shipping total }
    }`,
};

/** Who may call a cart route (enforced on the GraphQL fields and in carts/ownership.ts). */
const access = (permission: string) =>
  `Guests and signed-in customers need no permission (a guest cart's id is its capability; a customer's cart is ` +
  `theirs alone, 404 to anyone else); API keys need \`${permission}\` (403 otherwise).`;

function cartMutation(field: string, inputType: string) {
  return mutationOperation({ field, inputType, dataField: "cart", selection: "...CartFields" });
}

export const cartRoutes = [
  route({
    method: "POST",
    path: "/carts",
    summary: "Create a new cart",
    tag,
    description: `${access("carts:create")} A customerId must be a customer of the store (keys: also customers:update).`,
    operation: cartMutation("createCart", "CreateCartInput"),
    body: { variable: "input", example: { currency: "USD", customerId: "00000000-0000-4000-8000-000000000004" } },
    result: ["createCart", "cart"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/carts/:id",
    summary: "Get cart with line items",
    tag,
    description: `Totals (subtotal, discount, tax, shipping, total) are computed by the server. ${access("carts:read")}`,
    operation: `query ($id: ID!) { cart(id: $id) { ...CartFields } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["cart"],
    notFound: "Cart",
  }),
  route({
    method: "POST",
    path: "/carts/:id/items",
    summary: "Add an item to the cart",
    tag,
    description:
      "The unit price comes from pricing (the cart's currency and customer groups). A `unitPriceSnapshot` that is not " +
      "the current price is refused with 409 CONFLICT (details expectedAmount, givenAmount, currency). Adding an item " +
      `already in the cart increases its quantity. Answers 201 with the whole cart. ${access("carts:update")}`,
    operation: cartMutation("addCartItem", "AddCartItemInput"),
    body: {
      variable: "input",
      pathFields: { id: "cartId" },
      example: {
        entityId: "00000000-0000-4000-8000-000000000001",
        variantId: "00000000-0000-4000-8000-000000000002",
        quantity: 2,
        unitPriceSnapshot: 1999,
      },
    },
    result: ["addCartItem", "cart"],
    status: 201,
  }),
  route({
    method: "PATCH",
    path: "/carts/:id/items/:itemId",
    summary: "Update item quantity",
    tag,
    description: access("carts:update"),
    operation: cartMutation("updateCartItem", "UpdateCartItemInput"),
    body: { variable: "input", pathFields: { id: "cartId", itemId: "itemId" }, example: { quantity: 3 } },
    result: ["updateCartItem", "cart"],
  }),
  route({
    method: "DELETE",
    path: "/carts/:id/items/:itemId",
    summary: "Remove an item from the cart",
    tag,
    description: access("carts:update"),
    operation: cartMutation("removeCartItem", "RemoveCartItemInput"),
    variables: ({ params }) => ({ input: { cartId: params.id, itemId: params.itemId } }),
    result: ["removeCartItem", "cart"],
  }),
  route({
    method: "POST",
    path: "/carts/:id/promotions",
    summary: "Apply a promotion code to the cart",
    tag,
    description: `Our extension. 422 VALIDATION_FAILED on \`code\`, with the reason as its code, when it does not apply now. ${access("carts:update")}`,
    operation: cartMutation("applyCartPromotion", "CartPromotionInput"),
    body: { variable: "input", pathFields: { id: "cartId" }, example: { code: "SAVE10" } },
    result: ["applyCartPromotion", "cart"],
  }),
  route({
    method: "DELETE",
    path: "/carts/:id/promotions/:code",
    summary: "Remove a promotion code from the cart",
    tag,
    description: access("carts:update"),
    operation: cartMutation("removeCartPromotion", "CartPromotionInput"),
    variables: ({ params }) => ({ input: { cartId: params.id, code: params.code } }),
    result: ["removeCartPromotion", "cart"],
  }),
];
