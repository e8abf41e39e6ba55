package com.creditwallet.wallet.domain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Something an admin defines once and wallets read: a plan or an operation's rate card. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Plan.class, name = "Plan"),
  @JsonSubTypes.Type(value = RateCard.class, name = "RateCard")
})
public sealed interface Definition permits Plan, RateCard {
  String id();
}
