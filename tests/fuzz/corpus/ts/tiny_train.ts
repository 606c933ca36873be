# A tiny two-channel problem for the tests (tests/data/SequenceReadersTest.cpp): unequal lengths (2 to 5
# steps) and missing values. Written by hand; the expected resampled values are worked out in the test.
#
@problemName Tiny
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel true up down flat
@data
0,1,2,3,4:10,11,12,13,14:up
4,?,2:5,5,5:down
1,1:?,3,?:flat
0,2,4,6,8:1,2,3,4,5:up
8,6,4,2,0:-1,-2,-3,-4,-5:down
2,2,2,2,2:0.5,0.5,0.5,0.5,0.5:flat
