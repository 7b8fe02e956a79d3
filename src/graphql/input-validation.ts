import type { z } from "zod";
import { analyticsQuerySchema } from "../domain/analytics/query.js";
import { CreateApiKeyInput } from "../domain/auth/api-keys.js";
import { AddItemInput, CodeInput, CreateCartInput, UpdateItemInput } from "../domain/carts/carts.js";
import { AttributesInput, CreateEntityInput, UpdateEntityInput } from "../domain/catalog/entities.js";
import { FavoriteInput } from "../domain/catalog/favorites.js";
import { ModerateReviewInput, WriteReviewInput } from "../domain/catalog/reviews.js";
import {
  CreateBrandInput,
  CreateCategoryInput,
  UpdateBrandInput,
  UpdateCategoryInput,
} from "../domain/catalog/taxonomy.js";
import {
  CreateOptionTypeInput,
  CreateOptionValueInput,
  CreateVariantInput,
  GenerateVariantsInput,
} from "../domain/catalog/variants.js";
import { CheckoutInput } from "../domain/checkout/checkout.js";
import { RequestResetInput, ResetInput, SendVerificationInput } from "../domain/customers/account-links.js";
import {
  ChangePasswordInput,
  CreateCustomerInput,
  RevokeInput,
  UpdateUserInput,
} from "../domain/customers/account-settings.js";
import { RefreshInput, SignInInput, SignUpInput } from "../domain/customers/accounts.js";
import { MembershipInput } from "../domain/customers/groups.js";
import { AddAddressInput, UpdateProfileInput } from "../domain/customers/profile.js";
import { AdjustInventoryInput } from "../domain/inventory/adjustments.js";
import { ReleaseReservationInput, ReserveInventoryInput } from "../domain/inventory/reservations.js";
import { CreateWarehouseInput } from "../domain/inventory/warehouses.js";
import {
  RegisterVendorInput,
  ReviewDocumentInput,
  TransitionInput,
  UpdateVendorInput,
} from "../domain/marketplace/vendors.js";
import { AttachInput } from "../domain/media/media.js";
import { ChangeStatusInput } from "../domain/orders/change-status.js";
import { CreateFulfillmentInput } from "../domain/orders/fulfillments.js";
import { CapturePaymentInput } from "../domain/payments/capture.js";
import { RefundInput } from "../domain/payments/refunds.js";
import { CreateGroupInput, CreateModifierInput, CreatePriceInput, UpdatePriceInput } from "../domain/pricing/prices.js";
import { CreatePromotionInput, UpdatePromotionInput } from "../domain/promotions/promotions.js";
import { ValidatePromotionInput } from "../domain/promotions/validate.js";
import { ActionInput, ReceiveInput, RejectInput, RequestInput } from "../domain/returns/returns.js";
import { StoreSettingsFields } from "../domain/stores/settings-service.js";
import { CreateStoreInput, UpdateStoreInput } from "../domain/stores/stores.js";
import { RegisterInput as RegisterWebhookInput } from "../domain/webhooks/endpoints.js";

/**
 * The domain (zod) schema that validates each GraphQL input type, by the type's name. The services stay
 * the one place a bound is written; the REST OpenAPI documents read their lengths, ranges, enums and
 * formats from here (rest/openapi.ts `inputSchema`), field by field where the names match, nested
 * objects and lists included. A type missing here is documented from its GraphQL type alone.
 */
export const INPUT_VALIDATION: Readonly<Record<string, z.ZodType>> = {
  // catalog
  CreateCatalogEntityInput: CreateEntityInput,
  UpdateCatalogEntityInput: UpdateEntityInput,
  SetCatalogAttributesInput: AttributesInput,
  CreateOptionTypeInput,
  CreateOptionValueInput,
  CreateVariantInput,
  GenerateVariantsInput,
  CreateCategoryInput,
  UpdateCategoryInput,
  CreateBrandInput,
  UpdateBrandInput,
  WriteProductReviewInput: WriteReviewInput,
  ModerateProductReviewInput: ModerateReviewInput,
  FavoriteInput,
  AttachMediaInput: AttachInput,
  // pricing and promotions
  CreatePriceInput,
  UpdatePriceInput,
  CreatePriceModifierInput: CreateModifierInput,
  CreateCustomerGroupInput: CreateGroupInput,
  CreatePromotionInput,
  UpdatePromotionInput,
  ValidatePromotionInput,
  // inventory
  AdjustInventoryInput,
  ReserveInventoryInput,
  ReleaseInventoryReservationInput: ReleaseReservationInput,
  CreateWarehouseInput,
  // carts and checkout
  CreateCartInput,
  AddCartItemInput: AddItemInput,
  UpdateCartItemInput: UpdateItemInput,
  CartPromotionInput: CodeInput,
  CheckoutInput,
  // orders, payments, returns
  UpdateOrderStatusInput: ChangeStatusInput,
  CreateFulfillmentInput,
  RefundOrderInput: RefundInput,
  CapturePaymentInput,
  RequestReturnInput: RequestInput.return,
  RequestExchangeInput: RequestInput.exchange,
  ReturnActionInput: ActionInput,
  ExchangeActionInput: ActionInput,
  ReceiveReturnInput: ReceiveInput,
  ReceiveExchangeInput: ReceiveInput,
  RejectReturnInput: RejectInput,
  RejectExchangeInput: RejectInput,
  // customers and their accounts
  CreateCustomerInput,
  CustomerGroupMembershipInput: MembershipInput,
  AddMyAddressInput: AddAddressInput,
  UpdateMyProfileInput: UpdateProfileInput,
  UpdateMyAccountInput: UpdateUserInput,
  ChangeMyPasswordInput: ChangePasswordInput,
  RevokeSessionInput: RevokeInput,
  SignUpInput,
  SignInInput,
  RefreshSessionInput: RefreshInput,
  RequestPasswordResetInput: RequestResetInput,
  ResetPasswordInput: ResetInput,
  SendVerificationEmailInput: SendVerificationInput,
  // stores, keys, webhooks, analytics
  CreateStoreInput,
  UpdateStoreInput,
  UpdateStoreSettingsInput: StoreSettingsFields,
  CreateApiKeyInput,
  RegisterWebhookInput,
  AnalyticsQueryInput: analyticsQuerySchema,
  // marketplace vendors
  RegisterVendorInput,
  UpdateVendorInput,
  UpdateMyVendorInput: UpdateVendorInput,
  VendorTransitionInput: TransitionInput,
  ReviewVendorDocumentInput: ReviewDocumentInput,
};
