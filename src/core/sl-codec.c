/* sl-codec.c — placeholder until implemented */
