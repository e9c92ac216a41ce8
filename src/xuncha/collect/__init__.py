"""xuncha.collect"""
