package com.creditwallet.wallet.domain;

import com.creditwallet.serialization.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * The answer of an estimate (seed 003 shows it before a broadcast; seed 002 tells how many
 * contacts the credits cover): the full cost, what is available, and how much is affordable.
 */
public record Estimate(List<Line> cost, Map<String, Long> available, boolean sufficient, long affordableQuantity)
    implements CborSerializable {}
