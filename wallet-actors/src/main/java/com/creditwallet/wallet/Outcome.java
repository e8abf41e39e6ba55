package com.creditwallet.wallet;

import com.creditwallet.serialization.CborSerializable;
import com.creditwallet.wallet.WalletViews.AuditReport;
import com.creditwallet.wallet.WalletViews.Configured;
import com.creditwallet.wallet.WalletViews.GrantView;
import com.creditwallet.wallet.WalletViews.ReservationView;
import com.creditwallet.wallet.WalletViews.SubBudgetView;
import com.creditwallet.wallet.WalletViews.WalletView;
import com.creditwallet.wallet.domain.Estimate;
import com.creditwallet.wallet.domain.Rejection;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The typed answer of every wallet command: accepted with its value, or rejected with a stable
 * code (no HTTP status: the gateway maps codes to statuses). A rejection is an expected outcome,
 * not an exception, so it never costs a stack trace or travels as one between nodes. The value's
 * type is named on the wire, so the answer survives serialization between nodes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome<T>(
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    @JsonSubTypes({
      @JsonSubTypes.Type(value = WalletView.class, name = "wallet"),
      @JsonSubTypes.Type(value = Configured.class, name = "configured"),
      @JsonSubTypes.Type(value = GrantView.class, name = "grant"),
      @JsonSubTypes.Type(value = ReservationView.class, name = "reservation"),
      @JsonSubTypes.Type(value = SubBudgetView.class, name = "subBudget"),
      @JsonSubTypes.Type(value = AuditReport.class, name = "audit"),
      @JsonSubTypes.Type(value = Estimate.class, name = "estimate")
    })
    T value,
    Rejection.Body rejected)
    implements CborSerializable {

  public static <T> Outcome<T> accepted(T value) {
    return new Outcome<>(value, null);
  }

  public static <T> Outcome<T> rejected(Rejection.Body rejection) {
    return new Outcome<>(null, rejection);
  }

  @JsonIgnore
  public boolean isAccepted() {
    return rejected == null;
  }
}
